//! Photos for the site's news: what an upload really is (JPEG, PNG or WebP, by its bytes), turned
//! upright, made at most [`MAX_SIDE`] pixels on its longer side and written again as a JPEG — which
//! leaves behind everything the camera stored (place, device, time). Work is bounded: a picture
//! larger than [`MAX_PIXELS`] is refused before it is decoded.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};

/// The longer side of a published photo, in pixels.
pub const MAX_SIDE: u32 = 1200;
/// The most pixels decoded (a 48-megapixel phone photo fits).
pub const MAX_PIXELS: u64 = 50_000_000;

#[derive(Debug, PartialEq, Eq)]
pub enum Error {
    NotAPicture,
    TooLarge { width: u32, height: u32 },
    Broken,
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::NotAPicture => f.write_str("это не изображение: загрузите фотографию в формате JPEG, PNG или WebP"),
            Error::TooLarge { width, height } => {
                write!(f, "изображение {width} × {height} точек слишком большое: уменьшите его до 50 мегапикселей")
            }
            Error::Broken => f.write_str("изображение повреждено и не читается"),
        }
    }
}

impl std::error::Error for Error {}

/// A photo ready to publish.
#[derive(Debug)]
pub struct Picture {
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

pub fn prepare(bytes: &[u8]) -> Result<Picture, Error> {
    let format = image::guess_format(bytes).map_err(|_| Error::NotAPicture)?;
    if !matches!(format, ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP) {
        return Err(Error::NotAPicture);
    }
    let reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut decoder = reader.into_decoder().map_err(|_| Error::Broken)?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(Error::TooLarge { width, height });
    }
    let orientation = decoder.orientation().map_err(|_| Error::Broken)?;
    let mut img = DynamicImage::from_decoder(decoder).map_err(|_| Error::Broken)?;
    img.apply_orientation(orientation);
    if img.width() > MAX_SIDE || img.height() > MAX_SIDE {
        img = img.resize(MAX_SIDE, MAX_SIDE, image::imageops::FilterType::Triangle);
    }
    let rgb = img.to_rgb8();
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 85).encode_image(&rgb).map_err(|_| Error::Broken)?;
    Ok(Picture { jpeg, width: rgb.width(), height: rgb.height() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Png).expect("png");
        out.into_inner()
    }

    #[test]
    fn a_large_photo_is_made_smaller_and_a_jpeg() {
        let p = prepare(&png(2400, 1600)).expect("a picture");
        assert_eq!((p.width, p.height), (1200, 800));
        assert_eq!(image::guess_format(&p.jpeg).ok(), Some(ImageFormat::Jpeg));
        let small = prepare(&png(300, 200)).expect("a small picture");
        assert_eq!((small.width, small.height), (300, 200), "a small one keeps its size");
    }

    #[test]
    fn what_is_not_a_photo_is_refused() {
        assert_eq!(prepare(b"%PDF-1.7").err(), Some(Error::NotAPicture));
        assert_eq!(prepare(b"GIF89a....").err(), Some(Error::NotAPicture));
        let mut cut = png(50, 50);
        cut.truncate(60);
        assert_eq!(prepare(&cut).err(), Some(Error::Broken));
    }

    #[test]
    fn a_picture_too_large_to_decode_is_refused_from_its_header() {
        // A PNG header claiming 20000 × 20000 pixels, with no pixels behind it.
        let mut bomb = png(1, 1);
        bomb[16..20].copy_from_slice(&20000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&20000u32.to_be_bytes());
        // The header chunk's checksum (CRC-32 of its type and data), as a real file has it.
        let crc = bomb[12..29].iter().fold(!0u32, |mut c, b| {
            c ^= u32::from(*b);
            for _ in 0..8 {
                c = if c & 1 == 1 { (c >> 1) ^ 0xEDB8_8320 } else { c >> 1 };
            }
            c
        });
        bomb[29..33].copy_from_slice(&(!crc).to_be_bytes());
        assert_eq!(prepare(&bomb).err(), Some(Error::TooLarge { width: 20000, height: 20000 }));
    }
}
